// The lint rules share server code (server/definitions); its module augmentations come along for the type check.
import '@fastify/view';
