def login_attempt_username(request, credentials=None) -> str | None:
    """The email a login attempt was for, as django-axes counts failures against it."""
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None
