"""XLSForms built in code, one per feature of the import and one per refusal, plus a realistic
KoboToolbox household survey: the corpus tests/test_xlsform_corpus.py reads. Each builder gives
the workbook's bytes (and the files that go with it where the form names some)."""
