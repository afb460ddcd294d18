// The compose lab's fixed names: its Compose project, network, containers, published ports and
// registry images. They are fixed so that every command finds the lab `up` made.
import { fileURLToPath } from 'node:url';

export const PROJECT = 'pgha-lab';
export const NETWORK = `${PROJECT}_lab`;
export const LAB_SUBNET = '172.28.0.0/24';
export const PROJECT_LABEL = 'com.docker.compose.project';
/** The package root: compose/ and the shipped .env files are found from here. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const COMPOSE_NODES = [
  { name: 'postgres-primary', port: 5432, ip: '172.28.0.10' },
  { name: 'postgres-replica1', port: 5433, ip: '172.28.0.11' },
  { name: 'postgres-replica2', port: 5434, ip: '172.28.0.12' },
] as const;
export const MONITOR = { name: 'pgaf-monitor', port: 5431 };
export const OTHER_PORTS = [6010, 6011, 6012, 9187, 9090, 9093];
export const GRAFANA_PORT = 3000;
/** What docker-compose.yml pulls; without a registry the offline file builds all but Grafana. */
export const REGISTRY_IMAGES = ['quay.io/prometheuscommunity/postgres-exporter:v0.15.0', 'prom/prometheus:v2.53.2', 'prom/alertmanager:v0.27.0', 'grafana/grafana:10.4.5'];
