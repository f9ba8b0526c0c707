"""Post-loan on-site inspection (贷后现场检查) desktop tool and headquarters server."""

__version__ = "0.1.0"


class InspectorWarning(UserWarning):
    """Warnings the package itself raises; the test suite turns them into errors."""
