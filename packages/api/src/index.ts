export const API_GROUP = 'flagger.app';
