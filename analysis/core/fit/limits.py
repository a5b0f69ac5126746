"""How much a FIT file may weigh, zipped or not: the reader stops there, and config.limits
shows the same number as the upload limit. An hour's run is about 100 kB; a multi-day ultra
with every sensor stays under 20 MB."""

MAX_FIT_BYTES = 32 * 2**20
