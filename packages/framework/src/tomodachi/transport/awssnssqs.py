"""``tomodachi.transport.awssnssqs``: the same module as ``tomodachi.transport.aws_sns_sqs``."""

import sys

from . import aws_sns_sqs

sys.modules[__name__] = aws_sns_sqs
