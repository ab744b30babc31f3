"""Values logged before they are sent."""
import logging

from openai import OpenAI

log = logging.getLogger(__name__)
client = OpenAI()


def make_video(prompt, seconds: str = "10", size="1280x720"):  # expect: SOR001
    log.info("render %s %s %s", prompt, seconds, size)
    if seconds == "4":
        log.debug(f"short clip {seconds}")
    return client.videos.create(model="sora-2", prompt=prompt, seconds=seconds, size=size)


def make_short(prompt):
    params = {"model": "sora-2", "prompt": prompt, "seconds": "4"}
    log.info("params %s", params)
    return client.videos.create(**params)
