"""Reading FIT files: bytes in, RunData out, without the values no body can produce."""
