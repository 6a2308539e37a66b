import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError, UsageError } from '../model/errors.js';

/** A kubeconfig with its context chosen: what the reader needs to reach one cluster. */
export interface ClusterAccess {
  readonly config: KubeConfig;
  readonly context: string;
  /** The kubeconfig's cluster name; AKS names it after the cluster (`az aks get-credentials`). */
  readonly cluster: string;
  readonly server: string;
}

export interface KubeconfigOptions {
  /** `--kubeconfig PATH`; otherwise `$KUBECONFIG` (a list, merged as kubectl does), then `~/.kube/config`. */
  readonly path?: string | undefined;
  /** `--context NAME`; otherwise the kubeconfig's current context. */
  readonly context?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function loadKubeconfig(options: KubeconfigOptions): ClusterAccess {
  const files = kubeconfigFiles(options);
  const config = new KubeConfig();
  files.forEach((file, i) => {
    const loaded = i === 0 ? config : new KubeConfig();
    try {
      loaded.loadFromFile(file);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such kubeconfig file'
          : `not a valid kubeconfig (${firstLine(error)})`;
      throw new InputError(file, reason);
    }
    if (loaded !== config) config.mergeConfig(loaded);
  });
  const context = options.context ?? config.getCurrentContext();
  const names = config.getContexts().map((c) => c.name);
  if (!context || !names.includes(context)) {
    const which = options.context ? `no context '${options.context}'` : 'no current context';
    throw new UsageError(
      `${which} in ${files.join(', ')} (contexts: ${names.join(', ') || 'none'}); pick one with --context`,
    );
  }
  config.setCurrentContext(context);
  const cluster = config.getCurrentCluster();
  if (!cluster?.server)
    throw new InputError(files[0] as string, `context '${context}' names no cluster with a server URL`);
  return { config, context, cluster: cluster.name, server: cluster.server };
}

function kubeconfigFiles({ path, env }: KubeconfigOptions): string[] {
  if (path !== undefined) return [path];
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length > 0) return listed;
  const fallback = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(fallback)) return [fallback];
  throw new UsageError('no kubeconfig: give --kubeconfig PATH, set KUBECONFIG, or run `az aks get-credentials`');
}

/**
 * Why a kubeconfig did not load. A YAML error is told by its position only: the parser's message quotes the
 * file, and a kubeconfig holds credentials.
 */
function firstLine(error: unknown): string {
  const mark = (error as { name?: string; mark?: { line?: number; column?: number } }).mark;
  if ((error as Error).name === 'YAMLException' && mark?.line !== undefined) {
    return `invalid YAML at line ${mark.line + 1}, column ${(mark.column ?? 0) + 1}`;
  }
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? '';
}
