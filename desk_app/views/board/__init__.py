"""The routing board (分流看板): its page, item model and card delegate."""

from desk_app.views.board.page import BoardPage

__all__ = ["BoardPage"]
