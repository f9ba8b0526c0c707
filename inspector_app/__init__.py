"""Post-loan on-site inspection (贷后现场检查) desktop tool and headquarters server."""

import warnings

__version__ = "0.1.0"


class InspectorWarning(UserWarning):
    """Warnings the package itself raises; the test suite turns them into errors."""


# pyHanko imports cryptography's DSA key type, and cryptography warns of DSA's deprecation on
# that import: on every command of both command lines, and in each server worker. Nothing here
# signs with DSA (reports are RSA-signed), so it tells no user anything. Only that warning,
# only from pyHanko's modules.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko(\.|$)")
