"""Product ads: an image reference and an HD switch added in branches."""
from openai import OpenAI

client = OpenAI()


def make_ad(prompt, image_paths, img, hd):
    params = {"model": "sora-2", "prompt": prompt, "seconds": "8", "size": "720x1280"}
    if image_paths:
        params["input_reference"] = ("product.jpg", img, "image/jpeg")
    if hd:
        params["size"] = "1792x1024"  # expect: SOR003
    job = client.videos.create(**params)
    return job.id


def make_teaser(prompt, vertical):
    params = {"model": "sora-2", "prompt": prompt, "seconds": "4"}
    if vertical:
        params["size"] = "720x1280"
    else:
        params["size"] = "1280x720"
    return client.videos.create(**params)
