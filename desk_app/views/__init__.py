"""Qt widgets, dialogs and item models. Thin: collect input, call a service, show the result."""
