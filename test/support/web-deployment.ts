/** The Deployment "web" (one nginx replica) the UI tests roll from one image to another, as YAML. */
export function webDeployment(image: string, opts: { readonly port?: number } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
${opts.port === undefined ? '' : `          ports:\n            - containerPort: ${opts.port}\n`}`;
}
