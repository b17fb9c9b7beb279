"""Participation services shared by the plug-ins: threaded comments with reports and a
moderation log (:mod:`.comments`), supports and signatures with a threshold reached once
(:mod:`.supports`), status history (:mod:`.history`) and references between items of
different plug-ins, shown on both sides (:mod:`.links`). An item takes part through its
subject (:class:`.subjects.HasSubject`); the core's README shows each service in use.
"""
