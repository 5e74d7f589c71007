from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "inbound"
    verbose_name = "Log by BCC"

    def ready(self):
        # anymail's inbound signal -> the one reader (inbound.webhooks).
        from . import webhooks  # noqa: F401
