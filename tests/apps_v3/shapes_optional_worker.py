"""A render worker whose SDK is optional: the shapes of issue 19 around valid calls."""
import asyncio
import functools
import logging

try:
    from openai import OpenAI
except ImportError:  # the worker also runs without the SDK, in dry-run mode
    OpenAI = None

log = logging.getLogger(__name__)
DEFAULT_PROMPT = "a lighthouse at dawn, slow dolly in"


@functools.lru_cache
def get_client() -> OpenAI:
    return OpenAI(timeout=600)


def teaser(prompt: str):
    # valid: sora-2, 8 s, portrait
    return get_client().videos.create(model="sora-2", prompt=prompt, seconds="8", size="720x1280")


def trailer(prompt: str):
    return get_client().videos.create(model="sora-2", prompt=prompt, duration=8)  # expect: SOR008


def widescreen(prompt: str):
    client = get_client()
    return client.videos.create(model="sora-2", prompt=prompt, resolution="1920x1080")  # expect: SOR008


render_hd = functools.partial(get_client().videos.create, model="sora-2-pro", size="1792x1024")
render_hd(prompt=DEFAULT_PROMPT, seconds="12")  # valid: sora-2-pro takes 1792x1024 for 12 s
render_square = functools.partial(get_client().videos.create, model="sora-2", size="1024x1024")  # expect: SOR003


async def background(prompt: str):
    await asyncio.to_thread(get_client().videos.create, model="sora-2", prompt=prompt, seconds="4")  # valid
    await asyncio.to_thread(get_client().videos.create, model="sora-2", prompt=prompt, seconds="15")  # expect: SOR001


def with_gateway_extras(prompt: str):
    # valid: the gateway's own parameter travels in extra_body
    get_client().videos.create(model="sora-2", prompt=prompt, seconds="8", extra_body={"watermark": False})
    # extra_body's seconds is what is sent
    get_client().videos.create(model="sora-2", prompt=prompt, extra_body={"seconds": "20"})  # expect: SOR001


def legacy(prompt: str):
    return get_client().videos.create(model="sora-1.0", prompt=prompt)  # expect: SOR005
