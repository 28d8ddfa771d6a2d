package yardstick.magics.rag.read;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF through Apache PDFBox: the text of each page, paragraphs at blank lines (PDFBox's paragraph detection),
 * blocks tagged with their 1-based page. Encrypted files (needing a password) and broken files are skipped.
 */
final class PdfReader implements DocumentReader {
    @Override
    public List<SourceDocument> read(Path file, String id) throws SkippedFileException {
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            stripper.setParagraphStart("");
            stripper.setParagraphEnd("\n\n");
            StringBuilder text = new StringBuilder();
            int pages = pdf.getNumberOfPages();
            int[] pageStart = new int[pages + 2];
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String pageText = stripper.getText(pdf);
                if (!text.isEmpty()) text.append("\n\n");
                pageStart[page] = text.length();
                text.append(pageText);
            }
            pageStart[pages + 1] = text.length();
            String all = text.toString();
            List<Block> blocks = new ArrayList<>();
            for (int page = 1; page <= pages; page++) {
                blocks.addAll(Paragraphs.split(all, pageStart[page], pageStart[page + 1], page, ""));
            }
            return List.of(new SourceDocument(id, all, blocks));
        } catch (InvalidPasswordException e) {
            throw new SkippedFileException("encrypted PDF (needs a password)");
        } catch (IOException e) {
            throw new SkippedFileException("unreadable PDF: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "no detail";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
