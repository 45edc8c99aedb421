"""An application that pulls with docker-py and no ECR code: no auth_config, the infrastructure
(DOCKER_CONFIG naming the helper) supplies credentials. Prints one JSON line with the outcome.

Usage: docker-py-client.py pull REPOSITORY TAG | build DOCKERFILE_TEXT
"""
import io
import json
import os
import sys

import docker


def main():
    client = docker.DockerClient(base_url=os.environ["DOCKER_HOST"], version="1.41")
    action = sys.argv[1]
    try:
        if action == "pull":
            image = client.images.pull(sys.argv[2], tag=sys.argv[3])
            print(json.dumps({"ok": True, "id": image.id, "tags": image.tags}))
        elif action == "build":
            dockerfile = io.BytesIO(sys.argv[2].encode("utf-8"))
            lines = list(client.api.build(fileobj=dockerfile, decode=True))
            print(json.dumps({"ok": True, "lines": lines}))
        else:
            raise SystemExit("unknown action " + action)
    except docker.errors.DockerException as error:
        print(json.dumps({"ok": False, "type": type(error).__name__, "error": str(error)}))
        sys.exit(2)


main()
