"""A command-line tool built on argparse."""
import argparse

from openai import OpenAI

parser = argparse.ArgumentParser(description="Render a clip")
parser.add_argument("prompt")
parser.add_argument("--seconds", default="8", choices=["4", "8", "12"])
parser.add_argument("--size", default="1024x1792")  # expect: SOR003
args = parser.parse_args()

client = OpenAI()
client.videos.create(model="sora-2", prompt=args.prompt, seconds=args.seconds)
client.videos.create(model="sora-2", prompt=args.prompt, size=args.size)
