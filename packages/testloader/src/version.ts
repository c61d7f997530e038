export const TESTLOADER_VERSION = '0.1.0';
