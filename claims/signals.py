"""What claims tells the apps built on it. claims imports nothing of theirs: verify connects
its receivers in VerifyConfig.ready (see verify/pipeline.py)."""

from django.dispatch import Signal

# Sent by the extraction task once an article's claims are saved: kwargs article=Article.
claims_extracted = Signal()
