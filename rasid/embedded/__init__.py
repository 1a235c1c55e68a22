"""The embedded default: Kafka and Elasticsearch servers started from pip-installed binaries."""

from rasid.embedded.supervisor import SupervisedProcess, ServerStartError
from rasid.embedded.noida import NoidaServer
from rasid.embedded.tansu import TansuBroker

__all__ = ["NoidaServer", "SupervisedProcess", "ServerStartError", "TansuBroker"]
