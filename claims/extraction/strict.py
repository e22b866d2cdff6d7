"""Whether a failure inside extraction is re-raised instead of logged and skipped.

Off in production: one sentence the rules trip on must not cost the article its other
claims (the failure is logged). On under the test suite (settings.RAISE_PIPELINE_ERRORS,
copied here by ClaimsConfig.ready), so that a bug in a frame fails a test instead of
quietly returning fewer claims. A plain flag: this package does not import Django.
"""

RAISE_ERRORS = False
