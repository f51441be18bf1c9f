"""Where citizens' files are kept: ``MEDIA_ROOT`` on the local disk (the default), or an
S3-compatible bucket (MinIO, Ceph, a cloud's object storage) through django-storages when
``PORTAL_MEDIA_S3_BUCKET`` is set, so that several web nodes share no disk.

The bucket is private: objects are written with the ``private`` ACL, no public URL is ever
made for them (the portal never asks a file its ``url``; staff download through the scoped,
logged view, ``complaints.downloads``, which streams the object from the bucket).
"""

from __future__ import annotations

from typing import Any

import environ

S3_BACKEND = "storages.backends.s3.S3Storage"


def media_s3_options(env: environ.Env) -> dict[str, Any] | None:
    """django-storages' S3Storage options from ``PORTAL_MEDIA_S3_*``; None without a bucket."""
    bucket = env.str("PORTAL_MEDIA_S3_BUCKET", default="")
    if not bucket:
        return None
    return {
        "bucket_name": bucket,
        # Empty: the provider's default (AWS); MinIO or Ceph: their address.
        "endpoint_url": env.str("PORTAL_MEDIA_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("PORTAL_MEDIA_S3_REGION", default="") or None,
        # Empty: boto3's own chain (an instance role, AWS_* variables, ~/.aws).
        "access_key": env.str("PORTAL_MEDIA_S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("PORTAL_MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
        # A folder of the bucket, for two portals in one bucket.
        "location": env.str("PORTAL_MEDIA_S3_PREFIX", default=""),
        "default_acl": "private",
        # Should anything ever ask for a URL, it is signed and short-lived, never public.
        "querystring_auth": True,
        "querystring_expire": 60,
        "file_overwrite": False,
    }
