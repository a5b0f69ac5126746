"""The channel layer: channels_redis, with Redis connections that suit a live site.

Two defaults of redis-py 8 break channels_redis 4.3 as it ships:

- Every read gives up after ``socket_timeout`` (5 s by default since redis-py 8), and
  channels_redis receives with a blocking BZPOPMIN of ``brpop_timeout`` (also 5 s). On a quiet
  socket the reply to the blocking call comes just after the read has given up, so the
  receive raises "Timeout reading from ..." and every idle WebSocket of the process closes.
  Here the read timeout must be longer than the blocking receive, and start-up refuses a
  configuration where it is not.
- The async pool raises MaxConnectionsError as soon as ``max_connections`` (100) commands are
  in flight, which a reconnect storm reaches at once (every page of a restarted server
  reconnects within seconds). A blocking pool makes a burst wait its turn for a connection
  instead of failing the handshake with an HTTP 500 or leaving a closed socket in its groups.
"""

from __future__ import annotations

from channels_redis.core import RedisChannelLayer
from django.core.exceptions import ImproperlyConfigured
from redis.asyncio import BlockingConnectionPool


class LiveChannelLayer(RedisChannelLayer):
    """RedisChannelLayer whose per-host options go to a blocking connection pool.

    Each host is ``{"address": URL, **pool options}``; the options are redis-py's
    (``socket_timeout``, ``max_connections``, ``timeout`` for the wait on a free connection).
    """

    def __init__(self, hosts: list[dict], **kwargs: object) -> None:
        super().__init__(hosts=hosts, **kwargs)
        for host in self.hosts:
            read_timeout = host.get("socket_timeout")
            if read_timeout is not None and read_timeout <= self.brpop_timeout:
                raise ImproperlyConfigured(
                    f"The channel layer's socket_timeout ({read_timeout} s) must be longer "
                    f"than its blocking receive ({self.brpop_timeout} s), or idle sockets drop."
                )

    def create_pool(self, index: int) -> BlockingConnectionPool:
        options = dict(self.hosts[index])
        return BlockingConnectionPool.from_url(options.pop("address"), **options)
