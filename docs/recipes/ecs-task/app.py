"""Pulls IMAGE through the Docker Engine with docker-py: no auth_config, no ECR code. The
engine's credentials come from the helper that root's docker config names for the registry."""
import os

import docker

repository, tag = os.environ["IMAGE"].rsplit(":", 1)
image = docker.from_env().images.pull(repository, tag=tag)
print("pulled", image.tags)
