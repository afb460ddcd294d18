// Leaf helpers shared by every folder; nothing here imports from the project.
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
