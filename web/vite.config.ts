import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app: built into web/dist, which the API server serves with an
 * index.html fallback. In development `npm run dev:web` proxies /api to the
 * server on 127.0.0.1:8080, so cookies stay first-party.
 */
export default defineConfig({
  root: webDir,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
