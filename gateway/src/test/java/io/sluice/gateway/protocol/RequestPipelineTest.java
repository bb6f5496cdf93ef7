package io.sluice.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The request pipeline alone: a manual executor, a manual clock, a recording responder. */
class RequestPipelineTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final Deadlines deadlines = Deadlines.manual(Duration.ofSeconds(10), clock::get);
    private final Queue<Runnable> executor = new ConcurrentLinkedQueue<>();
    private final List<String> answers = new ArrayList<>();
    private final AtomicInteger resumed = new AtomicInteger();
    private final RequestPipeline pipeline =
            new RequestPipeline(executor::add, deadlines, 3, resumed::incrementAndGet, new RequestPipeline.Responder() {
                @Override
                public void succeeded(RequestPipeline.Entry entry, Runnable reply) {
                    answers.add(entry.sequence + " ok");
                }

                @Override
                public void failed(RequestPipeline.Entry entry, Throwable failure) {
                    answers.add(entry.sequence + " " + failure.getClass().getSimpleName());
                }

                @Override
                public void late(RequestPipeline.Entry entry) {
                    answers.add(entry.sequence + " late");
                }
            });

    private void runExecutor() {
        for (Runnable task; (task = executor.poll()) != null; ) {
            task.run();
        }
    }

    private RequestPipeline.Entry submit(int seq, CompletableFuture<Runnable> work, boolean barrier) {
        RequestPipeline.Entry entry = pipeline.admit(seq, FrameType.OUTBOUND_MESSAGE, clock.get());
        pipeline.start(entry, () -> work, barrier);
        return entry;
    }

    @Test
    void requestsStartInArrivalOrderAndAreAnsweredAsTheyComplete() {
        List<Integer> started = new ArrayList<>();
        CompletableFuture<Runnable> first = new CompletableFuture<>();
        CompletableFuture<Runnable> second = new CompletableFuture<>();
        RequestPipeline.Entry a = pipeline.admit(1, FrameType.OUTBOUND_MESSAGE, clock.get());
        pipeline.start(
                a,
                () -> {
                    started.add(1);
                    return first;
                },
                false);
        RequestPipeline.Entry b = pipeline.admit(2, FrameType.OUTBOUND_MESSAGE, clock.get());
        pipeline.start(
                b,
                () -> {
                    started.add(2);
                    return second;
                },
                false);
        assertThat(started).as("nothing runs on the reading thread").isEmpty();
        runExecutor();
        assertThat(started).containsExactly(1, 2);

        second.complete(() -> {});
        first.complete(() -> {});
        assertThat(answers).containsExactly("2 ok", "1 ok");
        assertThat(pipeline.inFlight()).isZero();
    }

    @Test
    void aBarrierHoldsTheNextRequestUntilItIsAnswered() {
        CompletableFuture<Runnable> login = new CompletableFuture<>();
        List<Integer> started = new ArrayList<>();
        RequestPipeline.Entry a = pipeline.admit(1, FrameType.AUTH_RESPONSE, clock.get());
        pipeline.start(
                a,
                () -> {
                    started.add(1);
                    return login;
                },
                true);
        RequestPipeline.Entry b = pipeline.admit(2, FrameType.REGISTER, clock.get());
        pipeline.start(
                b,
                () -> {
                    started.add(2);
                    return CompletableFuture.completedFuture(() -> {});
                },
                false);
        runExecutor();
        assertThat(started).containsExactly(1);

        login.complete(() -> {});
        runExecutor();
        assertThat(started).containsExactly(1, 2);
        assertThat(answers).containsExactly("1 ok", "2 ok");
    }

    @Test
    void theDeadlineAnswersOnceEvenARequestStillWaitingToStartAndALateCompletionIsDropped() {
        CompletableFuture<Runnable> slow = new CompletableFuture<>();
        CompletableFuture<Runnable> behind = new CompletableFuture<>();
        submit(1, slow, true);
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        submit(2, behind, false);
        runExecutor();

        clock.addAndGet(Duration.ofSeconds(9).toNanos());
        deadlines.sweep();
        assertThat(answers).as("only the first is due").containsExactly("1 TimeoutException");
        runExecutor(); // the barrier was answered: the second starts
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        deadlines.sweep();
        assertThat(answers).containsExactly("1 TimeoutException", "2 TimeoutException");

        slow.complete(() -> {});
        behind.complete(() -> {});
        assertThat(answers).containsExactly("1 TimeoutException", "2 TimeoutException", "1 late", "2 late");
        assertThat(pipeline.inFlight()).isZero();
    }

    @Test
    void readingPausesAtTheInFlightLimitAndResumesOnAnAnswer() {
        CompletableFuture<Runnable> one = new CompletableFuture<>();
        submit(1, one, false);
        assertThat(pipeline.mayRead()).isTrue();
        submit(2, new CompletableFuture<>(), false);
        submit(3, new CompletableFuture<>(), false);
        assertThat(pipeline.mayRead()).isFalse();
        runExecutor();
        one.complete(() -> {});
        assertThat(resumed).hasValue(1);
    }

    @Test
    void drainingRefusesNewRequestsAndCompletesWhenThoseInProgressAreAnswered() {
        CompletableFuture<Runnable> one = new CompletableFuture<>();
        submit(1, one, false);
        runExecutor();
        CompletableFuture<Void> drained = pipeline.drain().toCompletableFuture();
        assertThat(pipeline.admit(2, FrameType.OUTBOUND_MESSAGE, clock.get())).isNull();
        assertThat(drained).isNotDone();
        one.complete(() -> {});
        assertThat(drained).isDone();
    }

    @Test
    void boundCallsOutsideAPipelineGetTheSameTimeout() {
        CompletableFuture<Integer> never = new CompletableFuture<>();
        CompletableFuture<Integer> bounded = deadlines.bound(never);
        clock.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        deadlines.sweep();
        assertThat(bounded).isNotDone();
        clock.addAndGet(1);
        deadlines.sweep();
        assertThat(bounded).isCompletedExceptionally();
        assertThat(bounded.exceptionNow()).isInstanceOf(TimeoutException.class);
    }
}
