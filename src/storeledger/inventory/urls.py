from storeledger.inventory.api import counts, documents, ledger, transfers

urlpatterns = [
    *documents.router.urls,
    *transfers.router.urls,
    *counts.router.urls,
    *ledger.router.urls,
]
