export const API_GROUP = 'flagger.app';
export const API_VERSION = 'v1beta1';
/** The apiVersion of every Linnet resource; Flagger's, so Flagger manifests apply unchanged. */
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;
