#!/usr/bin/env bash
# Release jobs: the project's home is the repository the workflow runs in. Writes package.json `repository`,
# `homepage` and `bugs` (rule links, the image name and npm provenance all derive from them), checks that the tag
# is `v` + package.json's version, and prints version, image and image-name as step outputs.
# Environment: TAG (v1.2.3), REPOSITORY (owner/name), SERVER (https://github.com), GITHUB_OUTPUT.
set -euo pipefail
version="$(node -p 'require("./package.json").version')"
if [ "$TAG" != "v$version" ]; then
  echo "::error::tag $TAG does not match package.json version $version"
  exit 1
fi
npm pkg set "repository.type=git" "repository.url=git+$SERVER/$REPOSITORY.git" \
  "homepage=$SERVER/$REPOSITORY#readme" "bugs.url=$SERVER/$REPOSITORY/issues"
image_name="ghcr.io/$(echo "$REPOSITORY" | tr '[:upper:]' '[:lower:]')"
{
  echo "version=$version"
  echo "image-name=$image_name"
  echo "image=$image_name:$version"
} >> "$GITHUB_OUTPUT"
