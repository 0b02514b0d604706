from storeledger.core.api.approvals import ApprovalRuleViewSet, ApprovalViewSet
from storeledger.core.api.numbering import DocumentNumberingViewSet
from storeledger.core.api.routers import Router
from storeledger.core.api.tabular import ImportJobViewSet

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("import-jobs", ImportJobViewSet, basename="import-job")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("approval-rules", ApprovalRuleViewSet, basename="approval-rule")
router.register("document-numbering", DocumentNumberingViewSet, basename="document-numbering")

urlpatterns = router.urls
