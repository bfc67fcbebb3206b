/**
 * Training: modules of TRAINING files, experts' progress by file viewed, completion, the approval gate, and the
 * certificate (a PDFBox PDF with a verification code) issued once every required module is complete; plus the
 * documents experts attach to their application.
 */
package org.parley.training;
