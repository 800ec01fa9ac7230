"""Qt threading glue: run service calls off the GUI thread, results by signal."""
