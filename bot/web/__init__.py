"""The facilitator dashboard at ``/dashboard``: server-rendered pages over the domain's display
values (``dialogen.facilitation.dashboard``), sign-in with Entra ID (or a development sign-in on
a loopback address), and the same actions as the Teams commands (moderation, broadcasts) behind a
confirmation. See :func:`bot.web.routes.add_dashboard_routes`."""
