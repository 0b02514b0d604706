from django.urls import path

from storeledger.accounts import api, api_users

urlpatterns = [
    path("auth/csrf/", api.CsrfView.as_view(), name="auth-csrf"),
    path("auth/login/", api.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", api.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", api.MeView.as_view(), name="auth-me"),
    path("auth/password/", api.PasswordView.as_view(), name="auth-password"),
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("auth/tokens/", api.TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/<int:pk>/", api.TokenDetailView.as_view(), name="auth-token-detail"),
]
urlpatterns += api_users.router.urls
