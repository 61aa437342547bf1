"""AWS SNS+SQS transport and standalone publisher for tomodachi services."""

from .__about__ import __version__ as __version__
from ._options import AWSEndpointURLsOptions as AWSEndpointURLsOptions
from ._options import AWSSNSSQSOptions as AWSSNSSQSOptions

__all__ = ["AWSEndpointURLsOptions", "AWSSNSSQSOptions", "__version__"]
