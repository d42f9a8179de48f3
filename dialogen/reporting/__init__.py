"""Voortzetten: the seven-step report, the exports and the results message, as pure values.

``build_report(dialogue, facts, now)`` turns anonymous rows (:mod:`.facts`, loaded by
``dialogen.store.report_queries``) into a :class:`~.model.Report` whose every figure is a display
string after k-suppression; ``bot.reporting`` renders it as Word and HTML. ``build_export`` gives
the sheets of an export (:mod:`.exports`); :mod:`.review` keeps a report a draft until a
facilitator approves it; :mod:`.results` writes each participant's results message.
"""
