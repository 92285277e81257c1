-- AlterTable
ALTER TABLE "classes" ADD COLUMN     "joins_open" BOOLEAN NOT NULL DEFAULT true;

