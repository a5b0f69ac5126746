"""The baseline of bench/live_push.py: config.settings with the channel layer as channels_redis
4.3 ships it on redis-py 8 (5 s read timeout, a pool that fails past 100 connections, group
members kept a day). Everything else is the site as it runs."""

from config.settings import *  # noqa: F403
from config.settings import CHANNEL_LAYERS as _OURS
from config.settings import REDIS_URL

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [REDIS_URL],
            "prefix": _OURS["default"]["CONFIG"]["prefix"],
            "capacity": 500,
            "expiry": 30,
        },
    }
}
