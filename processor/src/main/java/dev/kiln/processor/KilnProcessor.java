package dev.kiln.processor;

import com.google.auto.service.AutoService;
import dev.kiln.processor.model.NetworkModel;
import dev.kiln.processor.parse.NetworkParser;
import dev.kiln.processor.parse.RawLayer;
import dev.kiln.processor.parse.RawNetwork;
import dev.kiln.processor.validate.Message;
import dev.kiln.processor.validate.NetworkValidator;
import dev.kiln.processor.validate.Report;
import dev.kiln.processor.write.ModelWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Compiles each {@code @Network} class into a model class: parse, validate, model, write. Each
 * network is handled on its own, so one bad declaration is reported and the others are still
 * generated; nothing is written for a network with errors.
 */
@AutoService(Processor.class)
public final class KilnProcessor extends AbstractProcessor {
    /** The classes generated in this compilation, by qualified name, with the network each was generated for. */
    private final Map<String, String> generated = new HashMap<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("dev.kiln.annotations.*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        NetworkParser parser = new NetworkParser(processingEnv.getElementUtils());
        TypeElement network = processingEnv.getElementUtils().getTypeElement(NetworkParser.NETWORK);
        if (network != null) {
            for (Element element : round.getElementsAnnotatedWith(network)) {
                compile((TypeElement) element, parser);
            }
        }
        for (TypeElement annotation : annotations) {
            if (NetworkParser.isLayerKind(annotation)) {
                reportLayersOutsideNetworks(round, annotation, parser);
            }
        }
        return false;
    }

    private void compile(TypeElement type, NetworkParser parser) {
        Report report = new Report();
        try {
            RawNetwork raw = parser.parse(type);
            Optional<NetworkModel> model = new NetworkValidator(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), generated)
                    .validate(raw, report);
            report.printTo(processingEnv.getMessager());
            if (model.isPresent() && !report.hasErrors()) {
                NetworkModel network = model.get();
                String qualified = network.packageName().isEmpty() ? network.generatedName() : network.packageName() + "." + network.generatedName();
                generated.put(qualified, network.declaringQualifiedName());
                new ModelWriter(network, type).toJavaFile().writeTo(processingEnv.getFiler());
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, Message.INTERNAL_ERROR.format(type, trace(e)), type);
        } catch (ClassCastException e) {
            if (!hasErroneousValues(type)) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, Message.INTERNAL_ERROR.format(type, trace(e)), type);
            }
        } catch (RuntimeException | Error e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, Message.INTERNAL_ERROR.format(type, trace(e)), type);
        }
    }

    /**
     * Whether an annotation value failed to compile (javac has reported it already, and the value
     * is not of its declared type).
     */
    private static boolean hasErroneousValues(TypeElement type) {
        return type.getAnnotationMirrors().stream().anyMatch(m -> m.getElementValues().values().stream()
                .anyMatch(v -> v.getValue() instanceof String s && s.contains("<error>")))
                || type.getEnclosedElements().stream().flatMap(e -> e.getAnnotationMirrors().stream())
                .anyMatch(m -> m.getElementValues().values().stream().anyMatch(v -> v.getValue() instanceof String s && s.contains("<error>")));
    }

    /**
     * A layer annotation on a field of a class that is neither a {@code @Network} nor a superclass
     * of one in this round has no effect: one error on it.
     */
    private void reportLayersOutsideNetworks(RoundEnvironment round, TypeElement annotation, NetworkParser parser) {
        TypeElement network = processingEnv.getElementUtils().getTypeElement(NetworkParser.NETWORK);
        Set<? extends Element> networks = network == null ? Set.of() : round.getElementsAnnotatedWith(network);
        for (Element field : round.getElementsAnnotatedWith(annotation)) {
            Element owner = field.getEnclosingElement();
            boolean inNetwork = owner.getAnnotationMirrors().stream()
                    .anyMatch(m -> ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(NetworkParser.NETWORK))
                    || networks.stream().anyMatch(n -> n instanceof TypeElement t && NetworkParser.inherits(t, owner));
            if (!inNetwork) {
                for (RawLayer layer : parser.layerAnnotations(field)) {
                    if (layer.kind().contentEquals(annotation.getSimpleName())) {
                        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                                Message.LAYER_OUTSIDE_NETWORK.format(layer.kind(), layer.name(), owner.getSimpleName()),
                                field, layer.annotation());
                    }
                }
            }
        }
    }

    private static String trace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
