from django.urls import path

from storeledger.printing.api import DocumentPdfView, LabelPdfView

_DOCUMENTS = [
    ("stock-ins", "stock_in", "inventory.view_stockdocument", "stock-ins"),
    ("stock-outs", "stock_out", "inventory.view_stockdocument", "stock-outs"),
    ("adjustments", "adjustment", "inventory.view_stockdocument", "adjustments"),
    ("scraps", "scrap", "inventory.view_stockdocument", "scraps"),
    ("transfers", "transfer", "inventory.view_transfer", "transfers"),
    ("stock-counts", "stock_count", "inventory.view_stockcount", "stock-counts"),
]

urlpatterns = [
    *(
        path(
            f"{prefix}/<int:pk>/pdf/",
            DocumentPdfView.for_type(document_type, permission, tag),
            name=f"{prefix[:-1]}-pdf",
        )
        for prefix, document_type, permission, tag in _DOCUMENTS
    ),
    path("labels/", LabelPdfView.as_view(), name="labels"),
]
