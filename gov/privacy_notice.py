"""The privacy notice (thông báo xử lý dữ liệu cá nhân) a citizen is shown where the portal asks
for personal data (Law 91/2025/QH15; Decree 356/2025/NĐ-CP). Its text is the template
``privacy/notice.html``; a petition records which version its submitter was shown, so a change
of the notice is bumped here with its date."""

from __future__ import annotations

import datetime as dt

VERSION = "2026-12"
PUBLISHED_ON = dt.date(2026, 12, 3)
