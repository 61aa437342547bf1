"""Test helpers: an in-memory AWS (SNS, SQS, STS) that the library runs against, and a moto server.

In memory (no server, no network; fake time with ``ManualClock``)::

    aws = MemoryAWS(clock=ManualClock())
    with use_memory_aws(aws):
        ...  # every Publisher, runtime and publish()/send_message() call uses aws
    aws.published("orders"), aws.messages("orders-queue"), aws.dead_letters("orders-queue")

Against moto (``pip install 'moto[server]'``), pass the URL as every endpoint URL::

    with moto_server() as url:
        settings = moto_settings(url)

Importing the transport never imports this package.
"""

from ._memory import MemoryAWS as MemoryAWS
from ._memory import MemoryClient as MemoryClient
from ._memory import PublishedMessage as PublishedMessage
from ._memory import QueuedMessage as QueuedMessage
from ._memory import use_memory_aws as use_memory_aws
from ._memory_clock import Clock as Clock
from ._memory_clock import LoopClock as LoopClock
from ._memory_clock import ManualClock as ManualClock
from ._moto import DUMMY_CREDENTIALS as DUMMY_CREDENTIALS
from ._moto import free_port as free_port
from ._moto import moto_server as moto_server
from ._moto import moto_settings as moto_settings

__all__ = [
    "DUMMY_CREDENTIALS",
    "Clock",
    "LoopClock",
    "ManualClock",
    "MemoryAWS",
    "MemoryClient",
    "PublishedMessage",
    "QueuedMessage",
    "free_port",
    "moto_server",
    "moto_settings",
    "use_memory_aws",
]
