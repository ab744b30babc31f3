"""A click command with a choice of durations."""
import click
from openai import OpenAI

client = OpenAI()


@click.command()
@click.argument("prompt")
@click.option("--seconds", default="8", type=click.Choice(["4", "8", "16"]))  # expect: SOR001
@click.option("--size", default="1280x720")
def main(prompt, seconds, size):
    client.videos.create(model="sora-2", prompt=prompt, seconds=seconds, size=size)
