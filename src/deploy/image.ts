import { UsageError } from '../model/errors.js';

/** An image reference: `registry/name`, with a tag, a digest, or both (`name:tag@sha256:…`). */
export interface ImageRef {
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const REPOSITORY = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._-]|__|\/)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * `--image` as a container runtime reads it. A digest pins the image: the node pulls exactly that image whatever
 * the tag points at later, so an image replaced in the registry cannot run as root on every node.
 */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const name = at < 0 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  const repository = tagged ? name.slice(0, colon) : name;
  const tag = tagged ? name.slice(colon + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest))
    throw new UsageError(`--image: '${image}' has a malformed digest (expected @sha256: and 64 hex digits)`);
  if (!REPOSITORY.test(repository) || (tag !== undefined && !TAG.test(tag)))
    throw new UsageError(`--image: '${image}' is not an image reference (registry/name:tag or registry/name@sha256:…)`);
  return { repository, tag, digest };
}
