/** The container the Docker flows start, look at and restart; the server's DOCKER_CONTAINER_ALLOWLIST names it. */
export const E2E_CONTAINER = 'aegis-e2e-web';
