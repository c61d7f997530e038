/** A private run dir per cluster, so several clusters can run side by side. */
export declare function createRunDir(clusterName: string): string;
