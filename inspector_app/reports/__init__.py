"""The inspection report: PDF rendering, signing and verification.

- ``data``: ``load_report_data(store, visit_id, lang)`` reads what a report shows into frozen
  dataclasses (``ReportData``), in one read session and without reading the clock.
- ``pdf``: ``render_report(data, photos, out)`` writes the A4 PDF and returns a
  ``RenderResult`` whose ``signature_layout`` says where the signing module puts its fields.
- ``layout`` (page furniture, labels, photo and signature flowables) and ``fonts`` (the one
  embedded CJK font and the paragraph styles) serve ``pdf``.
- ``signing``, ``verify``, ``certs``, ``seal``: the PAdES signatures; ``review_block`` (the
  supervisor's 复核确认 text: ReviewBlock, field names) and ``review_fields`` (those text
  fields, made at certification and filled at countersigning, with pyHanko). ``verify`` is also
  headquarters' check of an uploaded report, so it uses nothing of the laptop's store.
- ``files``: signing a visit's report and keeping the signed files under ``reports/``
  (the Report row and the visit's step to signed in one transaction).

Nothing here imports Qt: reports render on the server and from the command line too.
"""
