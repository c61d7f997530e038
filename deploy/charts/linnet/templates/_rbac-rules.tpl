{{/*
What the controller may do in the namespaces it watches: the same rules as deploy/controller/cluster-scope/clusterrole.yaml, where a
table says which code needs each verb (packages/controller/test/install-manifests.itest.ts checks that the two agree).
No wildcards. The leader-election Lease is in leader-election-rbac.yaml.
*/}}
{{- define "linnet.rules" -}}
- apiGroups: ['flagger.app']
  resources: ['canaries']
  verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete']
- apiGroups: ['flagger.app']
  resources: ['canaries/status', 'canaries/finalizers']
  verbs: ['update']
- apiGroups: ['flagger.app']
  resources: ['metrictemplates', 'alertproviders']
  verbs: ['get', 'list', 'watch']
- apiGroups: ['apps']
  resources: ['deployments', 'daemonsets']
  verbs: ['get', 'list', 'watch', 'create', 'patch']
- apiGroups: ['']
  resources: ['services', 'configmaps', 'secrets']
  verbs: ['get', 'list', 'watch', 'create', 'patch']
- apiGroups: ['autoscaling']
  resources: ['horizontalpodautoscalers']
  verbs: ['get', 'list', 'watch', 'create', 'patch']
- apiGroups: ['networking.istio.io']
  resources: ['virtualservices', 'destinationrules']
  verbs: ['get', 'list', 'watch', 'create', 'patch']
- apiGroups: ['events.k8s.io']
  resources: ['events']
  verbs: ['create', 'patch']
{{- end -}}
