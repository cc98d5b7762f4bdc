/** Where a file's path says which Kubernetes pod and container wrote it. */
export interface PodPlace {
  namespace: string;
  pod: string;
  container: string;
}

const UID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// kubelet: /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log[.<rotated>][.gz]
const PODS = new RegExp(`(?:^|/)([a-z0-9][-a-z0-9]*)_([a-z0-9][-.a-z0-9]*)_(${UID})/([a-z0-9][-a-z0-9]*)/[^/]+$`);
// /var/log/containers/<pod>_<namespace>_<container>-<container id>.log (links into /var/log/pods)
const CONTAINERS = /(?:^|\/)([a-z0-9][-.a-z0-9]*)_([a-z0-9][-a-z0-9]*)_([a-z0-9][-a-z0-9]*)-[0-9a-f]{64}\.log$/;

/** The pod and container of a kubelet log file, from its path's layout; undefined for any other path. */
export function podFromPath(path: string): PodPlace | undefined {
  const p = PODS.exec(path);
  if (p) return { namespace: p[1]!, pod: p[2]!, container: p[4]! };
  const c = CONTAINERS.exec(path);
  if (c) return { namespace: c[2]!, pod: c[1]!, container: c[3]! };
  return undefined;
}

/** Does the path have kubelet's /var/log/pods layout (not a /var/log/containers link's name)? */
export function inPodsLayout(path: string): boolean {
  return PODS.test(path);
}
