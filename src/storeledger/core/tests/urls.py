"""A tiny URLconf for the kernel's own tests: one mutating view that counts its calls."""

from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from storeledger.core.api.views import IdempotentMixin
from storeledger.core.errors import InsufficientStock

CALLS = {"count": 0}


class CountingView(IdempotentMixin, APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        if request.data.get("fail"):
            raise InsufficientStock(details={"requested": "2"})
        CALLS["count"] += 1
        upload = request.FILES.get("file")
        body = {"call": CALLS["count"], "echo": request.data.get("value")}
        if upload is not None:
            body["file"] = f"{upload.name}: {upload.read().decode()}"
        return Response(body, status=201)


urlpatterns = [path("count/", CountingView.as_view())]
