from django.urls import path

from tenants import apis

urlpatterns = [
    path("auth/login", apis.LoginApi.as_view(), name="auth-login"),
    path("auth/refresh", apis.RefreshApi.as_view(), name="auth-refresh"),
    path("auth/me", apis.MeApi.as_view(), name="auth-me"),
    path("api-keys", apis.ApiKeyListApi.as_view(), name="api-keys"),
    path("api-keys/<str:key_id>", apis.ApiKeyDetailApi.as_view(), name="api-key-detail"),
    path("endpoints", apis.EndpointListApi.as_view(), name="endpoints"),
    path("endpoints/<str:endpoint_id>", apis.EndpointDetailApi.as_view(), name="endpoint-detail"),
    path("endpoints/<str:endpoint_id>/rotate-secret", apis.EndpointRotateSecretApi.as_view(), name="endpoint-rotate-secret"),
]

from tenants import users_api  # noqa: E402

urlpatterns += [
    path("users", users_api.UserListApi.as_view(), name="users"),
    path("users/<str:user_id>", users_api.UserDetailApi.as_view(), name="user-detail"),
]
