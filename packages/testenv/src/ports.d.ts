/**
 * Distinct free loopback ports for `names` (bind 127.0.0.1:0, read, close); never rely on a component's default port.
 * All listeners are held open together, so one call never hands out the same port twice. Another process can still
 * take a port before our component binds it; that shows up as "address already in use" in the component's log.
 */
export declare function allocatePorts<K extends string>(names: readonly K[]): Promise<Record<K, number>>;
